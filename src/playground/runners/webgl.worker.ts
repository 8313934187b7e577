/// <reference lib="webworker" />
import '@tensorflow/tfjs-backend-webgl';
import { startRunner } from '../runner';

/** The runner with the webgl backend only (see runner.ts for why one bundle per backend). */
startRunner();
