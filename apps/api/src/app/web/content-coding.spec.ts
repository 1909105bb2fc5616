import { acceptedCodings } from './content-coding';

describe('acceptedCodings', () => {
  it.each([
    [undefined, []],
    ['', []],
    ['identity', []],
    ['gzip, deflate, br, zstd', ['br', 'gzip']],
    ['br, gzip', ['br', 'gzip']],
    ['gzip', ['gzip']],
    ['GZIP', ['gzip']],
    ['x-gzip', ['gzip']],
    ['br;q=0, gzip', ['gzip']],
    ['br;q=0, gzip;q=0, deflate', []],
    ['gzip;q=1.0, br;q=0.5', ['gzip', 'br']],
    ['gzip; q=0.8, br; q=0.9', ['br', 'gzip']],
    ['*', ['br', 'gzip']],
    ['*;q=0', []],
    ['gzip;q=0, *', ['br']],
    ['br;q=nonsense, gzip', ['gzip']],
  ])('%p accepts %p', (header, codings) => {
    expect(acceptedCodings(header)).toEqual(codings);
  });
});
