using System.Net;
using Provisioning.Tests.Webhooks;

namespace Provisioning.Tests.Callbacks;

/// <summary>Assertions on the gateway's answers to callbacks and operator actions.</summary>
public static class CallbackAssert
{
    /// <summary>A 200 receipt with the job's status and attempt after the callback.</summary>
    public static void Accepted(WebhookAnswer answer, string status, int attempt, bool duplicate = false)
    {
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.True(answer.Body.GetProperty("ok").GetBoolean());
        Assert.Equal((status, attempt, duplicate),
            (answer.Text("status"), answer.Body.GetProperty("attempt").GetInt32(), answer.Body.GetProperty("duplicate").GetBoolean()));
    }

    /// <summary>A 409 problem naming the job's current status (<c>jobStatus</c>) and attempt: the run must stop.</summary>
    public static void Conflict(WebhookAnswer answer, string status, int attempt, string? detailContains = null)
    {
        Assert.True(answer.Status == HttpStatusCode.Conflict, answer.ToString());
        Assert.Equal("application/problem+json", answer.MediaType);
        Assert.Equal((409, status, attempt),
            (answer.Body.GetProperty("status").GetInt32(), answer.Text("jobStatus"), answer.Body.GetProperty("attempt").GetInt32()));
        Assert.Equal("conflict", answer.Reason);
        if (detailContains is not null)
        {
            Assert.Contains(detailContains, answer.Text("detail"));
        }
    }

    /// <summary>A problem with this status and machine-readable reason.</summary>
    public static void Refused(WebhookAnswer answer, HttpStatusCode status, string reason)
    {
        Assert.True(answer.Status == status, answer.ToString());
        Assert.Equal("application/problem+json", answer.MediaType);
        Assert.Equal(reason, answer.Reason);
    }
}
