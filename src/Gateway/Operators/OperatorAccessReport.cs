namespace Provisioning.Gateway.Operators;

/// <summary>Once the server listens: decides (and logs) whether reads need a key, and warns when no operator key is configured.</summary>
internal sealed class OperatorAccessReport(
    IHostApplicationLifetime lifetime, ReadAccess readAccess, OperatorKeyRing keys, ILogger<OperatorAccessReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            _ = readAccess.RequireKey;
            if (keys.IsEmpty)
            {
                OperatorLog.NoKeys(logger);
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
