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

    /// <summary>
    /// Paid checkouts of which Stripe generated two Event objects each: the <c>checkout.session.completed</c> and a second
    /// one with a new event id for the same session (every other one a <c>checkout.session.async_payment_succeeded</c>).
    /// </summary>
    public static IReadOnlyList<(StripeTestEvent First, StripeTestEvent Second)> WithSecondEventObjects(ScenarioRun run, int count, int users) =>
        For(run, count, users)
            .Select((first, i) => (first, StripeEventFactory.SecondEventObject(
                first, i % 2 == 0 ? "checkout.session.completed" : "checkout.session.async_payment_succeeded")))
            .ToArray();
}
