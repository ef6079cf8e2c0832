export { joinRun, JoinError, type JoinOptions, type JoinedRun } from './join';
