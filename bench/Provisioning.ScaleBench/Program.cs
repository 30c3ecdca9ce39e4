using Provisioning.ScaleBench;

// The parts of bench/scale.sh that need .NET: grain state and reminders in the silo's formats, timed HTTP requests,
// reads through many grains, and the dashboard's first paint in Chromium. Each command prints what it measured.
var arguments = Arguments.Parse(args);
return arguments.Command switch
{
    "fill-grains" => await GrainRows.FillAsync(arguments),
    "probe-reminders" => await GrainRows.ProbeRemindersAsync(arguments),
    "time" => await TimedRequests.RunAsync(arguments),
    "read-grains" => await TimedRequests.ReadGrainsAsync(arguments),
    "dashboard" => await Dashboard.FirstPaintAsync(arguments),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Provisioning.ScaleBench fill-grains|probe-reminders|time|read-grains|dashboard --name value ...");
    return 2;
}
