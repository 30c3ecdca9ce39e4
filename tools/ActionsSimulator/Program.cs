using Provisioning.ActionsSimulator;
using Provisioning.ActionsSimulator.Control;
using Provisioning.ActionsSimulator.GitHub;
using Provisioning.ActionsSimulator.Requests;
using Provisioning.ServiceDefaults;

// A stand-in for GitHub's workflow_dispatch API on loopback, with a request log and fault knobs. See docs/actions-simulator.md.
// Configuration files are read once, not watched: ./run.sh keeps logs and data under the content root, and a watcher
// would wake on every write there.
var builder = WebApplication.CreateBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);
builder.AddActionsSimulator();

var app = builder.Build();
app.UseRequestLog();
app.MapControlApi();
app.MapGitHubApi();

return await app.RunOrExplainAsync();
