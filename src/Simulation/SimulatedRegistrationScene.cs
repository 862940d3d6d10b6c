using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Registration;

namespace LabelFree.Simulation;

/// <summary>
/// A registration problem with its answer: the fixed IF image, the EM of a smaller region with the IF-like
/// (prediction-space) image on the EM's grid, and the true moving → fixed pixel transform.
/// </summary>
/// <param name="FixedImmunofluorescence">The large MBP image in camera counts (Z = 1).</param>
/// <param name="MovingImmunofluorescence">IF-like image of the EM region, pixel for pixel with <paramref name="ElectronMicrograph"/>.</param>
/// <param name="ElectronMicrograph">The EM of the moving region, grey levels 0..255.</param>
/// <param name="Truth">Maps moving pixel (x, y) to fixed pixel coordinates.</param>
/// <param name="FixedPixelSizeMicrometres">Pixel size of the fixed image.</param>
/// <param name="MovingPixelSizeMicrometres">The nominal (stated) pixel size of the moving images.</param>
public sealed record SimulatedRegistrationScene(
    Volume FixedImmunofluorescence,
    Volume MovingImmunofluorescence,
    Volume ElectronMicrograph,
    SimilarityTransform Truth,
    double FixedPixelSizeMicrometres,
    double MovingPixelSizeMicrometres)
{
    /// <summary>
    /// The scene as the registration's inputs and truth, the shape every other registration scene takes (see
    /// <see cref="SimulatedRegistrationPair"/>): the IF-like moving image further degraded by
    /// <paramref name="movingDegradation"/>, against the fixed IF image. The EM is left out; registration sees the prediction.
    /// </summary>
    public SimulatedRegistrationPair ToPair(ImageDegradation movingDegradation, Random random)
    {
        ArgumentNullException.ThrowIfNull(movingDegradation);
        return new SimulatedRegistrationPair(
            new CalibratedImage(movingDegradation.Apply(MovingImmunofluorescence, random), MovingPixelSizeMicrometres),
            new CalibratedImage(FixedImmunofluorescence, FixedPixelSizeMicrometres),
            AffineTransform2D.FromMatrix(Truth.ToMatrix()));
    }
}
