using LabelFree.Simulation;

namespace LabelFree.Pipeline.Tests.Simulation;

/// <summary>One default field (32 x 64 x 64 at 0.29 µm, all four structures) shared by the tests that only read it.</summary>
public sealed class SimulatedFieldFixture
{
    public SimulatedFieldFixture()
    {
        Scene = new TransmittedLightScene { Seed = 11, Structures = CellStructure.All };
        Field = new TransmittedLightSimulator(Scene).Simulate();
    }

    public TransmittedLightScene Scene { get; }

    public SimulatedFieldOfView Field { get; }
}
