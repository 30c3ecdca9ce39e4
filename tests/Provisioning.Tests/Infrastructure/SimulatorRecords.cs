// The Actions simulator's answer records, compiled from its own source (see Provisioning.Tests.csproj), under the names
// the tests read them by.
global using SimulatorCallback = Provisioning.ActionsSimulator.Callbacks.CallbackRecord;
global using SimulatorQueuedBehaviour = Provisioning.ActionsSimulator.Callbacks.Behaviour;
global using SimulatorQueuedFault = Provisioning.ActionsSimulator.Faults.Fault;
global using SimulatorRequest = Provisioning.ActionsSimulator.Requests.RequestRecord;
