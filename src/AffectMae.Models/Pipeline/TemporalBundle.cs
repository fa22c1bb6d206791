using AffectMae.Core.Segmentation;
using AffectMae.Models.IO;
using AffectMae.Models.Temporal;
using AffectMae.Models.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.Pipeline;

/// <summary>
/// A temporal model loaded from its bundle, in evaluation mode on its device, with the windows it was trained on and
/// its action-unit thresholds. Dispose it to free the weights.
/// </summary>
public sealed class TemporalBundle : IDisposable
{
    private TemporalBundle(string folder, ModelManifest manifest, AffectSequenceModel model, Device device)
    {
        Folder = folder;
        Manifest = manifest;
        Model = model;
        Device = device;
        Segmenter = new VideoSegmenter(manifest.Temporal!.Segmentation);
    }

    /// <summary>The bundle folder.</summary>
    public string Folder { get; }

    /// <summary>The checked manifest.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The model.</summary>
    public AffectSequenceModel Model { get; }

    /// <summary>Where the model runs.</summary>
    public Device Device { get; }

    /// <summary>The windows (w, s) the model predicts over.</summary>
    public VideoSegmenter Segmenter { get; }

    /// <summary>Probability at or above which each action unit is decided present.</summary>
    public IReadOnlyList<float> ActionUnitThresholds => Manifest.Temporal!.ActionUnitThresholds;

    /// <summary>Loads the temporal bundle in <paramref name="folder"/> onto <paramref name="device"/> (CPU when null).</summary>
    /// <param name="folder">A bundle of kind <see cref="ModelKind.Temporal"/>.</param>
    /// <param name="device">Where the model runs.</param>
    /// <returns>The model, in evaluation mode.</returns>
    /// <exception cref="FileNotFoundException">The folder is not a bundle.</exception>
    /// <exception cref="InvalidDataException">The manifest is damaged or of another kind, or does not match its weights; the message names the file and the field or key.</exception>
    public static TemporalBundle Load(string folder, Device? device = null)
    {
        var manifest = ModelManifest.Read(folder);
        if (manifest.Kind != ModelKind.Temporal)
            throw new InvalidDataException($"{Path.Combine(folder, ModelManifest.FileName)}: field Kind is {manifest.Kind}; a temporal bundle has Kind Temporal.");
        device ??= CPU;
        var model = new AffectSequenceModel(manifest.Temporal!.SequenceModel);
        try
        {
            model.to(device);
            StateDictLoader.LoadFile(model, Path.Combine(folder, ModelManifest.WeightsFileName));
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        return new TemporalBundle(Path.GetFullPath(folder), manifest, model, device);
    }

    /// <summary>Saves a trained temporal model as a bundle.</summary>
    /// <param name="folder">The bundle folder (replaced when it exists).</param>
    /// <param name="model">The model.</param>
    /// <param name="segmentation">The windows it was trained on.</param>
    /// <param name="recipe">The recipe's name.</param>
    /// <param name="encoderSha256">SHA-256 of the encoder weights whose features it read, or null.</param>
    /// <param name="training">Where training ended, or null.</param>
    /// <returns>The manifest written.</returns>
    public static ModelManifest Save(string folder, AffectSequenceModel model, SegmentationOptions segmentation, string recipe, string? encoderSha256 = null, TrainingState? training = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(segmentation);
        var manifest = new ModelManifest
        {
            Kind = ModelKind.Temporal, Recipe = recipe,
            Temporal = new TemporalManifest
            {
                SequenceModel = model.Options, Segmentation = segmentation, EncoderSha256 = encoderSha256,
                Training = training is null ? null : new TrainingSummary(training.Epoch, training.BestEpoch, training.BestScore),
            },
        };
        manifest.Save(folder, model.state_dict());
        return manifest;
    }

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
