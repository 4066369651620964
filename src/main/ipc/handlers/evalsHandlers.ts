import type { EvalService } from '../../core/evals/EvalService';
import { toSummary } from '../../core/store/RunRepository';
import type { DomainHandlers } from '../Router';

export function evalsHandlers(evals: EvalService): DomainHandlers<'evals'> {
  return {
    'evals.suites.list': () => evals.listSuites(),
    'evals.suites.get': ({ id, version }) => evals.getSuite(id, version),
    'evals.suites.create': ({ spec, message }) => evals.createSuite(spec, message),
    'evals.suites.save': ({ id, spec, message, baseVersion }) => evals.saveSuite(id, spec, { message, baseVersion }),
    'evals.suites.versions': ({ id }) => evals.versions(id),
    'evals.suites.diff': ({ id, from, to }) => evals.diff(id, from, to),
    'evals.suites.rollback': ({ id, version }) => evals.rollback(id, version),
    'evals.suites.storeByName': ({ spec, message }) => evals.storeSuiteByName(spec, message),
    'evals.suites.delete': ({ id }) => ({ deleted: evals.deleteSuite(id) }),
    'evals.suites.import': (input) => evals.importSuite(input),
    'evals.suites.export': ({ id, version, format }) => evals.exportSuite(id, format, version),
    'evals.runs.start': (input) => evals.startRun(input),
    'evals.runs.startPolicyCost': (input) => evals.startPolicyCost(input),
    'evals.runs.create': async (input) => toSummary(await evals.createRun(input)),
    'evals.runs.execute': ({ runId }, ctx) => evals.execute(runId, { signal: ctx.signal }),
    'evals.runs.list': (filter) => evals.listRuns(filter),
    'evals.runs.get': ({ runId }) => evals.getRun(runId),
    'evals.runs.cancel': ({ runId }) => evals.cancelRun(runId),
    'evals.runs.resume': ({ runId }) => evals.resumeRun(runId),
    'evals.runs.delete': async ({ runId }) => ({ deleted: await evals.deleteRun(runId) }),
    'evals.runs.results': ({ runId }) => evals.results(runId),
    'evals.runs.cases': ({ runId }) => evals.cases(runId),
    'evals.runs.cells': ({ runId, offset, limit }) => evals.cellsPage(runId, offset, limit),
    'evals.runs.scorecards': ({ runId }) => evals.scorecards(runId),
    'evals.runs.compare': ({ runId, baselineRunId }) => evals.compare(runId, baselineRunId),
    'evals.runs.export': ({ runId, format }) => evals.exportRun(runId, format),
  };
}
