import { bootstrapApplication } from '@angular/platform-browser';
import { appConfig } from './app/app.config';
import { App } from './app/app';
import { preloadFirstPage } from './app/app.routes';

const boot = () => bootstrapApplication(App, appConfig).catch((err) => console.error(err));

// The page's chunk is fetched once this task ends, so bootstrapping waits for the next one (it is
// a long task of its own on a slow phone). Guarded pages boot at once: a mail link's guard takes
// #token=… off the address bar before the page has loaded.
if (preloadFirstPage(location.pathname)) setTimeout(boot);
else boot();
