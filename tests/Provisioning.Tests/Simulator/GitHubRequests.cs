using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Provisioning.Tests.Simulator;

/// <summary>Dispatch requests as the project's dispatcher sends them to GitHub (headers of issue 4), for the simulator tests.</summary>
public static class GitHubRequests
{
    public const string Token = "ghp_simulatorTestToken0123456789";
    public const string Owner = "acme";
    public const string Repo = "agent-infra";
    public const string Workflow = "provision-agent.yml";

    public static string DispatchPath(string prefix = "", string owner = Owner, string repo = Repo, string workflow = Workflow) =>
        $"{prefix}/repos/{owner}/{repo}/actions/workflows/{workflow}/dispatches";

    /// <summary>A valid body for provision-agent.yml; tests change it to make it invalid.</summary>
    public static JsonObject Body(string jobId, bool returnRunDetails = false)
    {
        var body = new JsonObject
        {
            ["ref"] = "main",
            ["inputs"] = new JsonObject
            {
                ["job_id"] = jobId,
                ["agent_id"] = "agent-1",
                ["region"] = "us-east",
                ["callback_url"] = "http://127.0.0.1:5080/api/webhooks/github",
                ["attempt"] = "1",
            },
        };
        if (returnRunDetails)
        {
            body["return_run_details"] = true;
        }

        return body;
    }

    public static HttpRequestMessage Dispatch(JsonNode body, string path, string? authorization = "Bearer " + Token) =>
        Dispatch(body.ToJsonString(), path, authorization);

    public static HttpRequestMessage Dispatch(string body, string path, string? authorization = "Bearer " + Token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        return WithHeaders(request, authorization);
    }

    public static HttpRequestMessage Get(string pathOrUrl, string? authorization = "Bearer " + Token) =>
        WithHeaders(new HttpRequestMessage(HttpMethod.Get, pathOrUrl), authorization);

    private static HttpRequestMessage WithHeaders(HttpRequestMessage request, string? authorization)
    {
        request.Headers.Accept.ParseAdd("application/vnd.github+json");
        request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Provisioning.Tests", "1.0"));
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return request;
    }
}
