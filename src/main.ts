import { runProcess } from './boot.js';

// `npm run start:app`: chat front ends and HTTP. `npm start` adds the workers in the same process.
void runProcess({ app: true, workers: process.argv.includes('--with-workers') });
