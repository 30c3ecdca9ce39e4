using Provisioning.Jobs;

namespace Provisioning.Gateway.GitHubEvents;

/// <summary>The GitHub webhook endpoint's log messages. Never a secret, a signature or a body.</summary>
internal static partial class GitHubEventsLog
{
    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning,
        Message = "GitHub delivery {DeliveryId} rejected with {Status} ({Reason}) from {RemoteAddress}")]
    public static partial void Rejected(ILogger logger, string? deliveryId, int status, string reason, string? remoteAddress);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information,
        Message = "GitHub delivery {DeliveryId} ({Event}) ignored: {Why}")]
    public static partial void Ignored(ILogger logger, string deliveryId, string @event, string why);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Information,
        Message = "GitHub delivery {DeliveryId}: run {RunId} completed {Conclusion}; job {JobId} (found by {FoundBy}) answered {Outcome} and is {Status} on attempt {Attempt}")]
    public static partial void Applied(
        ILogger logger, string deliveryId, string runId, string? conclusion, string jobId, string foundBy, JobActionOutcome outcome, JobStatus status, int attempt);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Error,
        Message = "GitHub delivery {DeliveryId} (run {RunId}) not applied; answered 503: redeliver it from the webhook's settings")]
    public static partial void Failed(ILogger logger, string deliveryId, string runId, Exception exception);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Warning,
        Message = "GitHub delivery {DeliveryId} refused with 503: GitHub:WebhookSecret is not configured")]
    public static partial void NotConfigured(ILogger logger, string? deliveryId);
}
