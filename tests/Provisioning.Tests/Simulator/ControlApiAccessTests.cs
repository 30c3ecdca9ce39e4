using System.Net;
using System.Text;

namespace Provisioning.Tests.Simulator;

/// <summary>The control API under <c>/_simulator</c> answers only the simulator's token; readiness stays open.</summary>
[Collection(SimulatorCollection.Name)]
public sealed class ControlApiAccessTests(SimulatorFixture fixture)
{
    public static TheoryData<string, string> ControlCalls => new()
    {
        { "GET", "/_simulator/requests" },
        { "DELETE", "/_simulator/requests" },
        { "GET", "/_simulator/faults" },
        { "POST", "/_simulator/faults" },
        { "DELETE", "/_simulator/faults" },
        { "DELETE", "/_simulator/faults/1" },
        { "GET", "/_simulator/callbacks" },
        { "DELETE", "/_simulator/callbacks" },
        { "GET", "/_simulator/behaviours" },
        { "POST", "/_simulator/behaviours" },
        { "DELETE", "/_simulator/behaviours" },
    };

    [Theory]
    [MemberData(nameof(ControlCalls))]
    public async Task ControlCall_WithoutToken_401AndChangesNothing(string method, string path)
    {
        var before = await fixture.Simulator.GetFaultsAsync();

        using var answer = await SendAsync(method, path, authorization: null);

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.Equal("Bearer", answer.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(before.Select(f => f.Id), (await fixture.Simulator.GetFaultsAsync()).Select(f => f.Id));
    }

    [Theory]
    [InlineData("Bearer wrong-token")]
    [InlineData("Basic c2ltOnRva2Vu")]
    public async Task AddFault_WrongToken_401AndNoFaultQueued(string authorization)
    {
        using var answer = await SendAsync("POST", "/_simulator/faults", authorization);

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.DoesNotContain(await fixture.Simulator.GetFaultsAsync(), f => f.Message == "from an intruder");
    }

    [Fact]
    public async Task Health_WithoutToken_Answers()
    {
        using var answer = await SendAsync("GET", "/_simulator/health", authorization: null);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    [Fact]
    public async Task ControlCall_WithTheToken_Answers()
    {
        using var answer = await SendAsync("GET", "/_simulator/faults", $"token {GitHubRequests.Token}");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string? authorization)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("""{"kind":"status","status":503,"times":0,"message":"from an intruder"}""", Encoding.UTF8, "application/json");
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await fixture.Http.SendAsync(request);
    }
}
