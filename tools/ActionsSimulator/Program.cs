using Provisioning.ActionsSimulator;
using Provisioning.ActionsSimulator.Control;
using Provisioning.ActionsSimulator.GitHub;
using Provisioning.ActionsSimulator.Requests;
using Provisioning.ServiceDefaults;

// A stand-in for GitHub's workflow_dispatch API on loopback, with a request log and fault knobs. See docs/actions-simulator.md.
var builder = WebApplication.CreateBuilder(args);
builder.AddActionsSimulator();

var app = builder.Build();
app.UseRequestLog();
app.MapControlApi();
app.MapGitHubApi();

return await app.RunOrExplainAsync();
