import { authContract } from './auth-contract';

describe('authContract', () => {
  it('should work', () => {
    expect(authContract()).toEqual('auth-contract');
  })
})
