using Provisioning.Jobs;

namespace Provisioning.Gateway.Callbacks;

/// <summary>The workflow callback endpoint's log messages. Never a secret, a signature or a body.</summary>
internal static partial class CallbackLog
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning,
        Message = "Workflow callback rejected with {Status} ({Reason}) from {RemoteAddress}")]
    public static partial void Rejected(ILogger logger, int status, string reason, string? remoteAddress);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information,
        Message = "Workflow callback {Event} for job {JobId} attempt {Attempt} from run {RunId}: {Outcome}; job is {Status} on attempt {JobAttempt}")]
    public static partial void Applied(
        ILogger logger, string jobId, CallbackEvent @event, int attempt, string? runId, JobActionOutcome outcome, JobStatus status, int jobAttempt);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning,
        Message = "Workflow callback {Event} for job {JobId} attempt {Attempt} from run {RunId} refused with 409: {Reason}")]
    public static partial void Conflict(ILogger logger, string jobId, CallbackEvent @event, int attempt, string? runId, string? reason);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning,
        Message = "Workflow callback {Event} names job {JobId}, which does not exist")]
    public static partial void UnknownJob(ILogger logger, string jobId, CallbackEvent @event);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Error,
        Message = "Workflow callback {Event} for job {JobId} not applied within {DeadlineSeconds} s; answered 503 so that the run retries")]
    public static partial void Failed(ILogger logger, string jobId, CallbackEvent @event, double deadlineSeconds, Exception exception);
}
