using AffectMae.Core.Data;
using AffectMae.Core.Options;
using AffectMae.Core.Segmentation;
using AffectMae.Models.Evaluation;
using AffectMae.Models.IO;
using AffectMae.Models.Temporal;
using AffectMae.Models.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.Pipeline;

/// <summary>
/// A temporal model loaded from its bundle — ours (<see cref="AffectSequenceModel"/>) or the authors' (an
/// <see cref="AuthorsTemporalModel"/> a task, joined in a <see cref="PerTaskTemporalModel"/>) — in evaluation mode on
/// its device, with the windows it was trained on, how it predicts and its action-unit thresholds. Dispose it to free
/// the weights.
/// </summary>
public sealed class TemporalBundle : IDisposable
{
    private TemporalBundle(string folder, ModelManifest manifest, TemporalAffectModel model, Device device)
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

    /// <summary>The model: an <see cref="AffectSequenceModel"/> or a <see cref="PerTaskTemporalModel"/> of <see cref="AuthorsTemporalModel"/>s (see <see cref="ModelKind"/>).</summary>
    public TemporalAffectModel Model { get; }

    /// <summary>Which temporal model the bundle holds.</summary>
    public TemporalModelKind ModelKind => Manifest.Temporal!.Model;

    /// <summary>How the model predicts (protocol, clipping, mode filter, action-unit rule), as recorded at training; a copy.</summary>
    public InferenceOptions Inference => OptionsValidation.Copy(Manifest.Temporal!.Inference);

    /// <summary>Where the model runs.</summary>
    public Device Device { get; }

    /// <summary>The windows (w, s) the model predicts over.</summary>
    public VideoSegmenter Segmenter { get; }

    /// <summary>Probability at (or, by <see cref="InferenceOptions.ActionUnitRule"/>, above) which each action unit is decided present.</summary>
    public IReadOnlyList<float> ActionUnitThresholds => Manifest.Temporal!.ActionUnitThresholds;

    /// <summary>The SHA-256 of the encoder weights whose features the model was trained on; null when not recorded.</summary>
    public string? EncoderSha256 => Manifest.Temporal!.EncoderSha256;

    /// <summary>Whether features of the encoder with weights <paramref name="encoderWeightsSha256"/> are what the model was trained on (true when that was not recorded).</summary>
    public bool TrainedOn(string encoderWeightsSha256) => EncoderSha256 is null || EncoderSha256 == encoderWeightsSha256;

    /// <summary>Loads the temporal bundle in <paramref name="folder"/> onto <paramref name="device"/> (CPU when null).</summary>
    /// <param name="folder">A bundle of kind <see cref="Pipeline.ModelKind.Temporal"/>.</param>
    /// <param name="device">Where the model runs.</param>
    /// <returns>The model, in evaluation mode.</returns>
    /// <exception cref="FileNotFoundException">The folder is not a bundle.</exception>
    /// <exception cref="InvalidDataException">The manifest is damaged or of another kind, or does not match its weights; the message names the file and the field or key.</exception>
    public static TemporalBundle Load(string folder, Device? device = null)
    {
        var manifest = ModelManifest.Read(folder);
        if (manifest.Kind != Pipeline.ModelKind.Temporal)
            throw new InvalidDataException($"{Path.Combine(folder, ModelManifest.FileName)}: field Kind is {manifest.Kind}; a temporal bundle has Kind Temporal.");
        device ??= CPU;
        var model = manifest.Temporal!.BuildModel();
        try
        {
            model.to(device);
            StateDictLoader.LoadFile(model, Path.Combine(folder, ModelManifest.WeightsFileName));
        }
        catch (InvalidDataException e)
        {
            model.Dispose();
            throw ModelManifest.DoesNotFitWeights(folder, "Temporal", e);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        return new TemporalBundle(Path.GetFullPath(folder), manifest, model, device);
    }

    /// <summary>Saves a trained temporal model as a bundle, with the options that build it.</summary>
    /// <param name="folder">The bundle folder (replaced when it exists).</param>
    /// <param name="model">The model: an <see cref="AffectSequenceModel"/>, an <see cref="AuthorsTemporalModel"/> (saved as the
    /// one model of a <see cref="PerTaskTemporalModel"/>), or a <see cref="PerTaskTemporalModel"/> of <see cref="AuthorsTemporalModel"/>s.</param>
    /// <param name="segmentation">The windows it was trained on.</param>
    /// <param name="recipe">The recipe's name.</param>
    /// <param name="encoderSha256">SHA-256 of the encoder weights whose features it read, or null.</param>
    /// <param name="training">Where training ended, or null.</param>
    /// <param name="inference">How it predicts; <see cref="InferenceOptions.OverlapAverage"/> when null.</param>
    /// <param name="trainingByTask">Where the training of each task's model ended (the authors' models), or null.</param>
    /// <returns>The manifest written.</returns>
    /// <exception cref="ArgumentException">The model is of another type, or the inference options are invalid.</exception>
    public static ModelManifest Save(string folder, TemporalAffectModel model, SegmentationOptions segmentation, string recipe, string? encoderSha256 = null,
        TrainingState? training = null, InferenceOptions? inference = null, IReadOnlyDictionary<AffectTask, TrainingState>? trainingByTask = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(segmentation);
        var temporal = new TemporalManifest
        {
            Segmentation = segmentation, EncoderSha256 = encoderSha256,
            Inference = OptionsValidation.ValidatedCopy(new InferenceOptionsValidator(), inference ?? InferenceOptions.OverlapAverage, nameof(inference)),
            Training = Summary(training),
            TrainingByTask = trainingByTask?.ToDictionary(kv => kv.Key, kv => Summary(kv.Value)!),
        };
        Dictionary<string, Tensor> weights;
        switch (model)
        {
            case AffectSequenceModel ours:
                temporal.SequenceModel = ours.Options;
                weights = ours.state_dict();
                break;
            case AuthorsTemporalModel single:
                temporal.Model = TemporalModelKind.AuthorsTemporalModel;
                temporal.AuthorsModels = [single.Options];
                string prefix = PerTaskTemporalModel.KeyOf(single.Tasks) + ".";
                weights = single.state_dict().ToDictionary(kv => prefix + kv.Key, kv => kv.Value);
                break;
            case PerTaskTemporalModel joined when joined.Models.All(m => m is AuthorsTemporalModel):
                temporal.Model = TemporalModelKind.AuthorsTemporalModel;
                temporal.AuthorsModels = [.. joined.Models.Cast<AuthorsTemporalModel>().Select(m => m.Options)];
                weights = joined.state_dict();
                break;
            default:
                throw new ArgumentException($"A temporal bundle holds an {nameof(AffectSequenceModel)}, an {nameof(AuthorsTemporalModel)} or a {nameof(PerTaskTemporalModel)} "
                    + $"of {nameof(AuthorsTemporalModel)}s; {model.GetName()} is none of them.", nameof(model));
        }
        var manifest = new ModelManifest { Kind = Pipeline.ModelKind.Temporal, Recipe = recipe, Temporal = temporal };
        manifest.Save(folder, weights);
        return manifest;
    }

    private static TrainingSummary? Summary(TrainingState? state) => state is null ? null : new TrainingSummary(state.Epoch, state.BestEpoch, state.BestScore);

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
