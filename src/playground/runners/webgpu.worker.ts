/// <reference lib="webworker" />
import '@tensorflow/tfjs-backend-webgpu';
import { startRunner } from '../runner';

/** The runner with the webgpu backend only (see runner.ts for why one bundle per backend). */
startRunner();
