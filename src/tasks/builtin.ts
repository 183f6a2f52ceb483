/**
 * Task modules built into qualbench (compiled with src/, so they work from dist/ on any Node): a shipped
 * task's task.json names one as `"module": "builtin:<name>"`. A user's task names a file in its folder instead.
 */
import type { TaskModule } from '../score/task-module.ts';
import { candidateScreening } from './candidate-screening/index.ts';

export const BUILTIN_TASK_MODULES: Readonly<Record<string, TaskModule>> = {
  'candidate-screening': candidateScreening,
};
