import { Controller, Get } from '@nestjs/common';
import { Public } from '@latchkey/auth-nest';

@Controller()
export class HelloController {
  /** Open to anyone: the global guard lets @Public() routes through. */
  @Public()
  @Get('hello')
  hello(): { hello: string } {
    return { hello: 'world' };
  }
}
