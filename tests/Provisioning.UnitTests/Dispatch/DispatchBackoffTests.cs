using Provisioning.Grains.Dispatch;

namespace Provisioning.UnitTests.Dispatch;

public sealed class DispatchBackoffTests
{
    private static readonly DispatchOptions Defaults = new();

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(8, 600)]
    [InlineData(30, 600)]
    public void Delay_HighestRandom_IsTheCappedExponentialCeiling(int failedTries, double expectedSeconds) =>
        Assert.Equal(expectedSeconds, DispatchBackoff.Delay(failedTries, Defaults, 1.0).TotalSeconds, precision: 6);

    [Fact]
    public void Delay_FullJitter_SpansZeroToTheCeiling()
    {
        Assert.Equal(TimeSpan.Zero, DispatchBackoff.Delay(4, Defaults, 0));
        Assert.Equal(20, DispatchBackoff.Delay(4, Defaults, 0.5).TotalSeconds, precision: 6);
    }
}
