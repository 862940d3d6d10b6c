using LabelFree.Pipeline.Tests.TestSupport;
using LabelFree.Pipeline.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Tests.Training;

public class AveragedWeightsTests
{
    // Built from fixed values: a layer with random initialisation would draw from libtorch's global generator
    // while another test seeds it to build its network (Fnet.Create), changing that network.
    private static Weights Layer(float weight) => new(weight);

    private static float Weight(nn.Module layer) => layer.parameters().Single().data<float>()[0];

    private static void Set(nn.Module layer, float value)
    {
        using var noGrad = no_grad();
        layer.parameters().Single().fill_(value);
    }

    [Fact]
    public void The_average_follows_the_weights_with_a_decay_that_starts_low()
    {
        using var layer = Layer(0);
        using var average = new AveragedWeights(layer, decay: 0.2);
        float[] steps = [10, 20, -4];
        // Decays min(0.2, (1 + n) / (10 + n)): 1/10, then 2/11, then 0.2; the first update counts mostly the new weights.
        var second = (2.0 / 11 * 9) + (9.0 / 11 * 20);
        double[] expected = [9, second, (0.2 * second) + (0.8 * -4)];
        for (var n = 0; n < steps.Length; n++)
        {
            Set(layer, steps[n]);
            average.Update();
            average.Swap();
            Assert.Equal(expected[n], Weight(layer), 1e-5);
            average.Swap();
            Assert.Equal(steps[n], Weight(layer));
        }

        Assert.Equal(3, average.Updates);
    }

    [Fact]
    public void A_saved_average_loads_into_another_run_of_the_same_network()
    {
        var path = Path.Combine(TestEnvironment.NewTempFolder(), "averaged.dat");
        using var layer = Layer(3);
        using (var average = new AveragedWeights(layer, decay: 0.9))
        {
            Set(layer, 7);
            average.Update();
            average.Save(path);
        }

        using var other = Layer(-1);
        using var resumed = new AveragedWeights(other, decay: 0.9);
        resumed.Load(path);
        resumed.Swap();

        Assert.Equal(1, resumed.Updates);
        Assert.Equal((0.1 * 3) + (0.9 * 7), Weight(other), 1e-5);
    }

    [Fact]
    public void An_average_of_another_network_is_refused_naming_the_file()
    {
        var path = Path.Combine(TestEnvironment.NewTempFolder(), "averaged.dat");
        using var layer = Layer(3);
        using (var average = new AveragedWeights(layer, decay: 0.9))
        {
            average.Save(path);
        }

        using var wider = new Weights(1, 2);
        using var mismatched = new AveragedWeights(wider, decay: 0.9);

        var error = Assert.Throws<InvalidDataException>(() => mismatched.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    private sealed class Weights : nn.Module
    {
        private readonly TorchSharp.Modules.ParameterList _values = new();

        public Weights(params float[] values) : base("weights")
        {
            foreach (var value in values)
            {
                _values.Add(nn.Parameter(full(1, value)));
            }

            RegisterComponents();
        }
    }
}
