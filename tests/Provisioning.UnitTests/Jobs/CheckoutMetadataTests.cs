using Provisioning.Grains.Jobs;
using Provisioning.Grains.StripeInbox;
using Provisioning.StripeEvents;

namespace Provisioning.UnitTests.Jobs;

public sealed class CheckoutMetadataTests
{
    private static readonly JobsOptions Options = new() { Regions = ["us-east", "eu-west"], DefaultRegion = "us-east" };
    private static readonly DateTimeOffset PaidAt = DateTimeOffset.UnixEpoch.AddDays(20000);

    [Fact]
    public void Read_CompleteMetadata_AsksForAJobKeyedByTheEventId()
    {
        var (job, ignored) = CheckoutMetadata.Read("evt_9", PaidAt, Checkout("agent", "user", "eu-west"), Options);

        Assert.Null(ignored);
        Assert.NotNull(job);
        Assert.Equal(("evt_9", "user", "agent", "eu-west", "cs_1"), (job.JobId, job.UserId, job.AgentId, job.Region, job.CheckoutSessionId));
    }

    [Fact]
    public void Read_NoRegion_UsesTheDefaultRegion() =>
        Assert.Equal("us-east", CheckoutMetadata.Read("evt", PaidAt, Checkout("a", "u", null), Options).Job?.Region);

    [Theory]
    [InlineData(null, "u", "us-east", "metadata.agentId is missing")]
    [InlineData("a", " ", "us-east", "metadata.userId is missing")]
    [InlineData("a", "u", "mars-1", "metadata.region 'mars-1' is not one of us-east, eu-west")]
    [InlineData("a", "u\n", "us-east", "metadata.userId contains control characters")]
    public void Read_BadMetadata_SaysWhy(string? agent, string? user, string? region, string reason)
    {
        var (job, ignored) = CheckoutMetadata.Read("evt", PaidAt, Checkout(agent, user, region), Options);

        Assert.Null(job);
        Assert.Equal(reason, ignored);
    }

    [Fact]
    public void Read_Unpaid_AsksForNoJobYet()
    {
        var (job, ignored) = CheckoutMetadata.Read("evt", PaidAt, Checkout("a", "u", null) with { PaymentStatus = "unpaid" }, Options);

        Assert.Null(job);
        Assert.Contains("unpaid", ignored);
    }

    private static CheckoutCompleted Checkout(string? agent, string? user, string? region) =>
        new("cs_1", agent, user, region, null, "cus_1", "paid");
}
