using System.Globalization;
using LabelFree.Pipeline.Training;
using Spectre.Console;

namespace LabelFree.Worker.Cli;

/// <summary>
/// Shows training progress: a live bar with the loss and the time left on a terminal, one line per
/// checkpoint when output goes to a file or a pipe (where a redrawn bar would be noise).
/// </summary>
public static class TrainingProgressDisplay
{
    public static T Run<T>(Func<IProgress<TrainingProgress>, T> training)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            int? firstIteration = null;
            return training(new InlineProgress<TrainingProgress>(p =>
            {
                firstIteration ??= p.Iteration - 1;
                if (p.Validation is not null || p.Fraction >= 1)
                {
                    var left = p.EstimatedRemaining(firstIteration.Value);
                    Console.WriteLine(Line(p) + (left is { } eta ? $"  about {eta:hh\\:mm\\:ss} left" : string.Empty));
                }
            }));
        }

        return AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                // Progress by iterations or by compute budget, whichever ends the run first.
                var task = context.AddTask("training", maxValue: 1000);
                return training(new InlineProgress<TrainingProgress>(p =>
                {
                    task.Value = 1000 * p.Fraction;
                    task.Description = Markup.Escape(Line(p));
                }));
            });
    }

    private static string Line(TrainingProgress p) => 
        FormattableString.Invariant($"iteration {p.Iteration}/{p.TotalIterations}  loss {p.TrainLoss:0.0000}") +
        (p.Validation is { } v ? FormattableString.Invariant($"  validation {v.Loss:0.0000} (r {v.R:0.000})") : string.Empty);
}
