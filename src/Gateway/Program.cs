using Provisioning.Gateway;
using Provisioning.ServiceDefaults;

// The HTTP face of the provisioning cluster: webhooks, callbacks, the job API, dashboards and health.
// Configuration files are read once, not watched: ./run.sh keeps logs and data under the content root, and a watcher
// would wake on every write there.
var builder = WebApplication.CreateBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);
builder.AddProvisioningGateway();

var app = builder.Build();
app.MapProvisioningGateway();

return await app.RunOrExplainAsync();
