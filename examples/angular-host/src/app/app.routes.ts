import { Routes } from '@angular/router';
import { authGuard } from '@latchkey/auth-angular';
import { HomePage } from './home.page';
import { LoginPage } from './login.page';

export const routes: Routes = [
  { path: 'login', component: LoginPage, title: 'Sign in' },
  { path: '', component: HomePage, canActivate: [authGuard], title: 'Home' },
  { path: '**', redirectTo: '' },
];
