namespace Provisioning.Gateway.StripeWebhooks;

/// <summary>The Stripe webhook's log messages. Never a secret, a signature header or a body.</summary>
internal static partial class StripeWebhookLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning,
        Message = "Stripe webhook rejected with {Status} ({Reason}) from {RemoteAddress}")]
    public static partial void Rejected(ILogger logger, int status, string reason, string? remoteAddress);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information,
        Message = "Stripe event {EventId} ({Type}, API version {ApiVersion}) accepted: {Outcome}, duplicate {Duplicate}, job {JobId}")]
    public static partial void Accepted(ILogger logger, string eventId, string type, string? apiVersion, string outcome, bool duplicate, string? jobId);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Error,
        Message = "Stripe event {EventId} ({Type}) could not be recorded within {DeadlineSeconds} s; answered 503 so that Stripe delivers it again")]
    public static partial void RecordFailed(ILogger logger, string eventId, string type, double deadlineSeconds, Exception exception);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Debug,
        Message = "Stripe delivery refused with 503: too many deliveries in progress (Stripe:MaxConcurrentDeliveries and Stripe:MaxQueuedDeliveries)")]
    public static partial void Overloaded(ILogger logger);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning,
        Message = "Stripe event {EventId} refused with 503: {Backlog} events wait to be processed (bound Stripe:Inbox:MaxBacklog = {Bound})")]
    public static partial void BacklogFull(ILogger logger, string eventId, long backlog, long bound);
}
