using LabelFree.Pipeline.Imaging;

namespace LabelFree.Worker.Cli;

/// <summary>
/// Runs a verb's body and turns the errors a user can cause into one clear line on stderr and
/// exit code 1 (or 2 for a bad option value); anything else is a defect and keeps its stack trace.
/// </summary>
public static class VerbAction
{
    public static async Task<int> RunAsync(Func<CancellationToken, Task<int>> body, CancellationToken cancellation)
    {
        try
        {
            return await body(cancellation);
        }
        catch (UsageException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (IsUserError(ex))
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("cancelled");
            return ExitCodes.Failure;
        }
    }

    public static Task<int> RunAsync(Func<int> body, CancellationToken cancellation) =>
        RunAsync(_ => Task.FromResult(body()), cancellation);

    // Typed input errors from the Pipeline name the file and the reason already.
    private static bool IsUserError(Exception ex) => ex is ImageFileException or FileNotFoundException
        or DirectoryNotFoundException or UnauthorizedAccessException or InvalidDataException
        or Pipeline.Training.PairsCsvException or Pipeline.Training.TrainingDataException
        or Pipeline.Preprocessing.ConstantImageException or Pipeline.Models.ModelBundleException
        or Pipeline.Models.PyTorchImportException or Pipeline.BioImageIo.BioImageIoExportException or Pipeline.Models.NetworkInputShapeException
        or Pipeline.Registration.RegistrationInputException or Pipeline.Registration.OpenCvUnavailableException
        or Pipeline.Training.NonFiniteTrainingException or Pipeline.Prediction.NonFinitePredictionException
        or LabelFree.Compute.ComputeRefusedException;
}
