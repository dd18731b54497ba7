import { ProblemException } from '../../common/problem/problem.exception';
import { Meter } from './meters';

export const QUOTA_PROBLEM_TYPE = 'https://kiln.dev/problems/quota-exceeded';

/** 402: the plan's limit of a meter is reached and credits do not cover the rest. */
export class QuotaExceededException extends ProblemException {
  constructor(meter: Meter, limit: number, used: number) {
    super(
      402,
      `The plan allows ${limit} ${meter} per period and ${used} are used; ` +
        'add credits or change plan to go further.',
      { meter, limit, used },
      QUOTA_PROBLEM_TYPE,
    );
  }
}
