using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Training;

/// <summary>
/// One optimisation step of a structure model, exactly as training and the self-test run it: zero the
/// gradients, forward, loss (MSE by default), backward, Adam step. A non-finite loss or gradient stops it before the
/// step can spread NaN into the weights: training must never go on, or save a model, on arithmetic that
/// went wrong.
/// </summary>
public sealed class TrainingStep : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _network;
    private readonly IReadOnlyList<(string Name, Parameter Parameter)> _parameters;
    private readonly TrainingLoss _loss;

    public TrainingStep(nn.Module<Tensor, Tensor> network, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        _network = network;
        _parameters = network.named_parameters().ToList();
        _loss = options.Loss;
        Optimizer = optim.Adam(_parameters.Select(p => p.Parameter), options.LearningRate, options.Beta1, options.Beta2);
    }

    /// <summary>Adam with the options' settings; its state is saved and restored with checkpoints.</summary>
    public Adam Optimizer { get; }

    /// <summary>Runs the step on one batch and returns the loss before the update.</summary>
    /// <param name="iteration">Named in the error when the step produces a non-finite value.</param>
    /// <exception cref="NonFiniteTrainingException">
    /// The loss or a gradient is NaN or infinite; the parameters were not updated (batch norm's running
    /// statistics were, by the forward pass, as in any training-mode forward).
    /// </exception>
    public double Run(Tensor signal, Tensor target, int iteration)
    {
        ArgumentNullException.ThrowIfNull(signal);
        ArgumentNullException.ThrowIfNull(target);
        using var scope = NewDisposeScope();
        Optimizer.zero_grad();
        var prediction = _network.forward(signal);
        var loss = TrainingLossFunction.Compute(_loss, prediction, target);
        var value = loss.item<float>();
        if (!float.IsFinite(value))
        {
            throw new NonFiniteTrainingException(iteration, $"the loss is {value}");
        }

        loss.backward();
        foreach (var (name, parameter) in _parameters)
        {
            if (parameter.grad is { } gradient && !torch.isfinite(gradient).all().item<bool>())
            {
                throw new NonFiniteTrainingException(iteration, $"the gradient of {name} holds NaN or infinite values");
            }
        }

        Optimizer.step();
        return value;
    }

    public void Dispose() => Optimizer.Dispose();
}
