namespace Provisioning.Gateway;

/// <summary>Retries the first connection to the cluster every two seconds until a silo answers or the host stops.</summary>
internal sealed partial class ClusterConnectionRetryFilter(ILogger<ClusterConnectionRetryFilter> logger) : IClientConnectionRetryFilter
{
    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        LogWaitingForCluster(logger, exception.Message);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "No silo reachable yet ({Reason}); retrying in 2 s")]
    private static partial void LogWaitingForCluster(ILogger logger, string reason);
}
