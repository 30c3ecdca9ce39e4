namespace Provisioning.Gateway.Observability;

internal static partial class ObservabilityLog
{
    [LoggerMessage(EventId = 1601, Level = LogLevel.Warning,
        Message = "Jobs by status not read for the metrics ({Reason}); the last counts are reported")]
    public static partial void JobCountsUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Warning,
        Message = "Stripe inbox backlog not read for the metrics ({Reason}); the last figures are reported")]
    public static partial void InboxBacklogUnavailable(ILogger logger, string reason);
}
