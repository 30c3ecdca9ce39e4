using System.Text.Json;
using System.Text.Json.Nodes;
using Provisioning.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Provisioning.Tests.Reliability;

/// <summary>
/// Scenario 6: while a burst runs, the runs' callbacks are delivered again (same <c>webhook-id</c>: duplicates), late and
/// out of order (a claim or heartbeat after the job completed), and forged (a bad signature, the wrong secret, a signature
/// too old) claiming or failing jobs in flight. Duplicates change nothing, late callbacks are refused (409), forged ones are
/// rejected (401); every job still ends as its real run made it end.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class CallbackTamperingTests(ReliabilitySystem fixture, ITestOutputHelper output)
{
    private const string WrongSecret = "whsec_d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldC0xMjM0NTY3OA==";

    [Fact]
    public async Task Callbacks_DuplicatedReorderedAndForgedDuringBurst_OnlyAuthenticFreshOnesCount()
    {
        var system = fixture.System;
        var profile = fixture.Profile;
        await system.Simulator.ClearAsync();
        var run = new ScenarioRun("6-callbacks-tampered");
        var events = Checkouts.For(run, profile.BurstEvents, profile.BurstUsers);
        var ids = events.Select(e => e.Id).ToHashSet();
        using var sender = new StripeSender(system.GatewayUrl);
        var answers = new Dictionary<string, List<int>> { ["duplicate"] = [], ["late"] = [], ["forged"] = [] };
        var replayed = new HashSet<string>();
        var lateSent = new HashSet<string>();
        var forged = new HashSet<string>();

        var burst = sender.DeliverAsync(events, run.Deliveries, profile.Concurrency, profile.DeliveryDeadline);
        await Eventually.UntilAsync(async () =>
            {
                var callbacks = (await system.Simulator.GetCallbacksAsync()).Where(c => c.JobId is not null && ids.Contains(c.JobId)).ToList();
                foreach (var c in callbacks.Where(c => c.Outcome == "accepted" && replayed.Add(c.WebhookId)))
                {
                    answers["duplicate"].Add(await SendAsync(system, c.Body, c.WebhookId, TestSecrets.CallbackSecret));
                }

                foreach (var job in callbacks.Where(c => c.Event == "complete" && c.Outcome == "accepted").Select(c => c.JobId!))
                {
                    if (lateSent.Add(job))
                    {
                        var claim = callbacks.First(c => c.JobId == job && c.Event == "claim" && c.Outcome == "accepted");
                        answers["late"].Add(await SendAsync(system, claim.Body, null, TestSecrets.CallbackSecret));
                        answers["late"].Add(await SendAsync(system, With(claim.Body, "heartbeat"), null, TestSecrets.CallbackSecret));
                    }
                }

                var inFlight = callbacks.Where(c => c.Event == "claim" && c.Outcome == "accepted").Select(c => c.JobId!)
                    .Except(callbacks.Where(c => c.Event == "complete").Select(c => c.JobId!));
                foreach (var job in inFlight.Where(forged.Add))
                {
                    var claim = callbacks.First(c => c.JobId == job && c.Event == "claim");
                    var fail = With(claim.Body, "fail", ("message", "forged failure"), ("retryable", false));
                    answers["forged"].Add(await SendAsync(system, fail, null, TestSecrets.CallbackSecret, signature: "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
                    answers["forged"].Add(await SendAsync(system, fail, null, WrongSecret));
                    answers["forged"].Add(await SendAsync(system, fail, null, TestSecrets.CallbackSecret, signedAt: DateTimeOffset.UtcNow.AddMinutes(-10)));
                    var foreignClaim = With(claim.Body, "claim", ("run_id", 999_999_999));
                    answers["forged"].Add(await SendAsync(system, foreignClaim, null, WrongSecret));
                }

                return burst.IsCompleted && await JobRows.CountAsync(system.ConnectionString, ids, "succeeded", "failed", "cancelled") == ids.Count;
            }, profile.SettleTimeout, "every job of the burst ended while its callbacks were tampered with");
        await burst;
        run.HealedAt = DateTimeOffset.UtcNow;
        foreach (var (kind, statuses) in answers)
        {
            run.Figures[$"{kind}Callbacks"] = statuses.Count;
            run.Figures[$"{kind}Answers"] = string.Join(',', statuses.GroupBy(s => s).Select(g => $"{g.Key}x{g.Count()}"));
        }

        await new InvariantChecker(system, output, profile).CheckAsync(run);

        Assert.NotEmpty(answers["duplicate"]);
        Assert.All(answers["duplicate"], s => Assert.Equal(200, s));
        Assert.NotEmpty(answers["late"]);
        Assert.All(answers["late"], s => Assert.Equal(409, s));
        Assert.NotEmpty(answers["forged"]);
        Assert.All(answers["forged"], s => Assert.Equal(401, s));
    }

    private static JsonElement With(JsonElement body, string callbackEvent, params (string Name, object Value)[] fields)
    {
        var node = JsonNode.Parse(body.GetRawText())!.AsObject();
        node["event"] = callbackEvent;
        foreach (var (name, value) in fields)
        {
            node[name] = JsonValue.Create(value);
        }

        return JsonSerializer.SerializeToElement(node);
    }

    private static async Task<int> SendAsync(
        TestSystem system, JsonElement body, string? webhookId, string secret, DateTimeOffset? signedAt = null, string? signature = null)
    {
        using var request = CallbackSigner.Request(body.GetRawText(), webhookId, secret, signedAt, signature);
        using var response = await system.Http.SendAsync(request);
        return (int)response.StatusCode;
    }
}
