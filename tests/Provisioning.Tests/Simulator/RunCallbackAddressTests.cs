using Provisioning.Tests.Workflow;

namespace Provisioning.Tests.Simulator;

/// <summary>
/// A played run calls back only to <c>Simulator:CallbackUrl</c>, the stand-in for the workflow repository's
/// <c>PROVISIONING_CALLBACK_URL</c> variable, as the workflow template does.
/// </summary>
[Collection(RunPlayerCollection.Name)]
public sealed class RunCallbackAddressTests(RunPlayerFixture fixture)
{
    [Fact]
    public async Task Dispatch_CallbackUrlNotTheRepositoryAddress_RunFailsWithoutCallingBack()
    {
        await using var elsewhere = CallbackReceiver.Start(RunPlayerFixture.Secret);
        var jobId = $"evt_{Guid.NewGuid():N}";

        var (runId, _) = await fixture.DispatchAsync(jobId, callbackUrl: elsewhere.Url.ToString());

        Assert.Equal("failure", await fixture.WaitForRunEndAsync(runId));
        Assert.Empty(elsewhere.Received);
        Assert.Empty(fixture.Receiver.For(jobId));
        Assert.Empty(await fixture.Simulator.GetCallbacksAsync(jobId));
        Assert.Contains($"Run {runId} completed, conclusion failure: callback_url is not Simulator:CallbackUrl", fixture.Simulator.Process.Output, StringComparison.Ordinal);
    }
}
