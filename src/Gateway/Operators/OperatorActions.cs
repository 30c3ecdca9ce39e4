using Provisioning.Jobs;

namespace Provisioning.Gateway.Operators;

/// <summary>
/// What an operator may do to jobs: retry a <c>failed</c> or <c>cancelled</c> one, cancel one that has not ended, retry many.
/// The operator key's name is passed to the job, so its history says who acted.
/// </summary>
public sealed class OperatorActions(IGrainFactory grains, RetryCandidatesQuery candidates, ILogger<OperatorActions> logger)
{
    public async Task<JobActionResult> RetryAsync(string jobId, string operatorName, string? reason)
    {
        var result = await grains.GetGrain<IProvisioningJobGrain>(jobId).RetryAsync(operatorName, Because(reason, "retried by an operator"));
        Log(operatorName, "retry", jobId, result);
        return result;
    }

    public async Task<JobActionResult> CancelAsync(string jobId, string operatorName, string? reason)
    {
        var result = await grains.GetGrain<IProvisioningJobGrain>(jobId)
            .CancelAsync(JobActor.Operator, Because(reason, "cancelled by an operator"), operatorName);
        Log(operatorName, "cancel", jobId, result);
        return result;
    }

    /// <summary>Retries, one after another, the jobs the read model lists with the status since the time.</summary>
    public async Task<BulkRetryResult> RetryManyAsync(
        JobStatus status, DateTimeOffset? since, int limit, string operatorName, string? reason, CancellationToken cancellationToken,
        string? lastError = null)
    {
        var matched = await candidates.FindAsync(status, since, limit, cancellationToken, lastError);
        var why = Because(reason, $"bulk retry of {JobNames.Of(status)} jobs");
        var retried = new List<string>();
        var skipped = new List<BulkRetrySkip>();
        foreach (var jobId in matched)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var result = await grains.GetGrain<IProvisioningJobGrain>(jobId).RetryAsync(operatorName, why);
                Log(operatorName, "retry", jobId, result);
                if (result.Outcome == JobActionOutcome.Done)
                {
                    retried.Add(jobId);
                }
                else
                {
                    skipped.Add(new BulkRetrySkip(jobId, result.Reason ?? result.Outcome.ToString().ToLowerInvariant()));
                }
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException)
            {
                OperatorLog.BulkRetryFailed(logger, operatorName, jobId, ex);
                skipped.Add(new BulkRetrySkip(jobId, "the cluster did not answer; not retried, try again"));
            }
        }

        OperatorLog.BulkRetried(logger, operatorName, status, since, retried.Count, skipped.Count);
        return new BulkRetryResult(retried.Count, retried, skipped);
    }

    private static string Because(string? reason, string fallback) =>
        string.IsNullOrWhiteSpace(reason) ? fallback : reason.Trim();

    private void Log(string operatorName, string action, string jobId, JobActionResult result) =>
        OperatorLog.Acted(logger, operatorName, action, jobId, result.Outcome, result.Reason, result.Job?.Status, result.Job?.Attempt);
}
