import { Component } from '@angular/core';

@Component({
  selector: 'lk-auth-angular',
  imports: [],
  templateUrl: './auth-angular.html',
  styleUrl: './auth-angular.css'
})
export class AuthAngular {}
