import { ComponentFixture, TestBed } from '@angular/core/testing';
import { AuthAngular } from './auth-angular';

describe('AuthAngular', () => {
  let component: AuthAngular;
  let fixture: ComponentFixture<AuthAngular>;

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [AuthAngular]
    }).compileComponents();

    fixture = TestBed.createComponent(AuthAngular);
    component = fixture.componentInstance;
    await fixture.whenStable();
  });

  it('should create', () => {
    expect(component).toBeTruthy();
  });
});
