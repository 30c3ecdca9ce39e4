using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Reliability;

/// <summary>Paid checkouts for a scenario: unique event ids, spread over a number of the scenario's own users.</summary>
public static class Checkouts
{
    public static IReadOnlyList<StripeTestEvent> For(ScenarioRun run, int count, int users)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var userIds = Enumerable.Range(1, users).Select(i => $"{run.Name}-{tag}-u{i}").ToArray();
        run.Users.UnionWith(userIds);
        return Enumerable.Range(0, count)
            .Select(i => StripeEventFactory.CheckoutCompleted(userIds[i % users], $"agent-{tag}-{i}"))
            .ToArray();
    }
}
