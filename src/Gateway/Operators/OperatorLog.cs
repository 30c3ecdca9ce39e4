using Provisioning.Jobs;

namespace Provisioning.Gateway.Operators;

/// <summary>Operator access and actions. Never a key.</summary>
internal static partial class OperatorLog
{
    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning,
        Message = "{Method} {Path}: the operator key presented is not valid (from {RemoteAddress})")]
    public static partial void KeyRejected(ILogger logger, string method, string path, string? remoteAddress);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Information,
        Message = "Read-only endpoints {Access} (Gateway:RequireKeyForReads {Source}; listening on {Addresses})")]
    public static partial void ReadAccess(ILogger logger, string access, string source, string addresses);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Information,
        Message = "Operator {Operator} asked to {Action} job {JobId}: {Outcome} ({Reason}); job is {Status} on attempt {Attempt}")]
    public static partial void Acted(
        ILogger logger, string @operator, string action, string jobId, JobActionOutcome outcome, string? reason, JobStatus? status, int? attempt);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Information,
        Message = "Operator {Operator} bulk retry of {Status} jobs since {Since}: {Retried} retried, {Skipped} skipped")]
    public static partial void BulkRetried(ILogger logger, string @operator, JobStatus status, DateTimeOffset? since, int retried, int skipped);

    [LoggerMessage(EventId = 1405, Level = LogLevel.Warning,
        Message = "Operator {Operator} bulk retry: job {JobId} not retried, the cluster did not answer")]
    public static partial void BulkRetryFailed(ILogger logger, string @operator, string jobId, Exception exception);

    [LoggerMessage(EventId = 1406, Level = LogLevel.Warning,
        Message = "No operator keys are configured (Gateway:OperatorKeys): operator actions answer 401")]
    public static partial void NoKeys(ILogger logger);

    [LoggerMessage(EventId = 1407, Level = LogLevel.Information, Message = "Operator {Operator} signed in to the Orleans dashboard (from {RemoteAddress})")]
    public static partial void SignedIn(ILogger logger, string @operator, string? remoteAddress);

    [LoggerMessage(EventId = 1408, Level = LogLevel.Warning,
        Message = "Dashboard sign-in refused: too many failed sign-ins from {RemoteAddress}; it may try again in {RetryAfterSeconds} s")]
    public static partial void SignInThrottled(ILogger logger, string remoteAddress, int retryAfterSeconds);

    [LoggerMessage(EventId = 1409, Level = LogLevel.Warning,
        Message = "Operator key refused unchecked: too many wrong keys from {RemoteAddress}; it may try again in {RetryAfterSeconds} s")]
    public static partial void KeyThrottled(ILogger logger, string remoteAddress, int retryAfterSeconds);
}
