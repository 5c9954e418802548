import { runProcess } from '../src/boot.js';

// `npm run start:workers`: BullMQ workers and job schedulers only (scale out by running more).
void runProcess({ app: false, workers: true });
