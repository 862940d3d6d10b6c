using LabelFree.Pipeline.Imaging;

namespace LabelFree.Simulation;

/// <summary>
/// A registered EM / IF pair (2D images as Z = 1 volumes on one pixel grid) with its known truth.
/// </summary>
/// <param name="ElectronMicrograph">The recorded micrograph in grey levels 0..255 (dark = electron dense).</param>
/// <param name="Immunofluorescence">The MBP image in camera counts, noise included.</param>
/// <param name="ImmunofluorescenceNoiseFree">The expected counts of <paramref name="Immunofluorescence"/>.</param>
/// <param name="Myelin">Myelin coverage of each pixel (0..1): the ground truth both images show.</param>
/// <param name="PixelSizeMicrometres">Pixel size of all four images.</param>
/// <param name="Tissue">The simulated tissue (axon positions, radii, myelin thickness).</param>
public sealed record SimulatedElectronMicrograph(
    Volume ElectronMicrograph,
    Volume Immunofluorescence,
    Volume ImmunofluorescenceNoiseFree,
    Volume Myelin,
    double PixelSizeMicrometres,
    MyelinatedTissue Tissue);
