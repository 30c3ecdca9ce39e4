extern alias gateway;

using gateway::Provisioning.Gateway.Operators;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Provisioning.UnitTests.Operators;

/// <summary>The throttle's minute, read from the injected clock: the refusal counts down and ends with the window.</summary>
public sealed class OperatorKeyThrottleWindowTests
{
    private const string Address = "203.0.113.7";

    [Fact]
    public void TryBegin_FailuresUsedUp_RefusedUntilTheMinuteEnds()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        var throttle = Throttle(clock, failuresPerMinute: 2);

        Assert.True(throttle.TryBegin(Address, out _));
        Assert.True(throttle.TryBegin(Address, out _));
        Assert.False(throttle.TryBegin(Address, out var retryAfter));
        Assert.Equal(OperatorKeyThrottle.Window, retryAfter);

        clock.Advance(TimeSpan.FromSeconds(45));
        Assert.False(throttle.TryBegin(Address, out retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(15), retryAfter);
        Assert.True(throttle.TryBegin("203.0.113.8", out _));

        clock.Advance(TimeSpan.FromSeconds(15));
        Assert.True(throttle.TryBegin(Address, out retryAfter));
        Assert.Equal(TimeSpan.Zero, retryAfter);
    }

    [Fact]
    public void Succeeded_RightKey_GivesTheAttemptBack()
    {
        var throttle = Throttle(new FakeTimeProvider(), failuresPerMinute: 1);

        Assert.True(throttle.TryBegin(Address, out _));
        throttle.Succeeded(Address);

        Assert.True(throttle.TryBegin(Address, out _));
        Assert.False(throttle.TryBegin(Address, out _));
    }

    private static OperatorKeyThrottle Throttle(TimeProvider clock, int failuresPerMinute) =>
        new(Options.Create(new OperatorOptions { KeyFailuresPerMinute = failuresPerMinute }), clock);
}
