import type { CommandFn } from '../cliError';

export const planCommand: CommandFn = async (_args, io) => {
  io.stderr.write('plan: not implemented yet\n');
  return 2;
};
