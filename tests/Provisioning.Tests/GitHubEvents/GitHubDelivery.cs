using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.GitHubEvents;

/// <summary>
/// GitHub webhook deliveries as GitHub sends them: a payload from GitHub's examples (<c>Fixtures/github</c>) with the fields a
/// test needs set, <c>X-GitHub-Event</c>, a <c>X-GitHub-Delivery</c> id and <c>X-Hub-Signature-256: sha256=&lt;hex HMAC&gt;</c>.
/// </summary>
public static class GitHubDelivery
{
    public static string FixturesFolder { get; } = Path.Combine(Repository.Root, "tests", "Provisioning.Tests", "Fixtures", "github");

    /// <summary>A <c>workflow_run</c> payload for a run with this id, conclusion and title (<c>display_title</c>, the workflow's run-name).</summary>
    public static string WorkflowRun(string action, string runId, string? conclusion, string? displayTitle = null)
    {
        var payload = Load(action == "requested" ? "workflow_run.requested.payload.json" : "workflow_run.completed.payload.json");
        payload["action"] = action;
        var run = payload["workflow_run"]!.AsObject();
        run["id"] = long.Parse(runId, System.Globalization.CultureInfo.InvariantCulture);
        run["status"] = action == "completed" ? "completed" : "queued";
        run["conclusion"] = conclusion;
        run["name"] = "provision-agent";
        run["display_title"] = displayTitle ?? "provision-agent";
        run["event"] = "workflow_dispatch";
        run["path"] = ".github/workflows/provision-agent.yml";
        return payload.ToJsonString();
    }

    public static JsonObject Load(string fileName) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(FixturesFolder, fileName)))!.AsObject();

    public static string Sign(string body, string secret = TestSecrets.GitHubWebhookSecret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    /// <summary>A <c>POST /api/webhooks/github/events</c>, signed with the configured secret unless a signature is given.</summary>
    public static HttpRequestMessage Request(string gitHubEvent, string body, string? deliveryId = null, string? signature = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/github/events") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", gitHubEvent);
        request.Headers.Add("X-GitHub-Delivery", deliveryId ?? Guid.NewGuid().ToString());
        request.Headers.Add("X-GitHub-Hook-ID", "123456");
        request.Headers.UserAgent.ParseAdd("GitHub-Hookshot/8e03811");
        request.Headers.Add("X-Hub-Signature-256", signature ?? Sign(body));
        return request;
    }
}
