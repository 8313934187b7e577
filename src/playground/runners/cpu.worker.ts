/// <reference lib="webworker" />
import '@tensorflow/tfjs-backend-cpu';
import { startRunner } from '../runner';

/** The runner with the cpu backend only (see runner.ts for why one bundle per backend). */
startRunner();
