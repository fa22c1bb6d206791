using AffectMae.Core.Data;
using AffectMae.Metrics;
using AffectMae.Models.Data;
using AffectMae.Models.Features;
using AffectMae.Models.IO;
using AffectMae.Models.Mae;
using AffectMae.Models.Runtime;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace AffectMae.Models.Pipeline;

/// <summary>
/// A frame encoder loaded from its bundle: the fine-tuned classifier (the paper's feature extractor) or a pre-trained
/// MAE, in evaluation mode on its device, with the transform its manifest describes. Dispose it to free the weights.
/// </summary>
public sealed class EncoderBundle : IDisposable
{
    private EncoderBundle(string folder, ModelManifest manifest, nn.Module model, IFrameFeatureExtractor extractor, Device device)
    {
        Folder = folder;
        Manifest = manifest;
        Model = model;
        Extractor = extractor;
        Device = device;
        Transform = TransformOf(manifest);
        FeatureProvenance = ProvenanceOf(manifest);
    }

    /// <summary>The bundle folder.</summary>
    public string Folder { get; }

    /// <summary>The checked manifest.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The model: a <see cref="MaeClassifier"/> or a <see cref="MaeViT"/>.</summary>
    public nn.Module Model { get; }

    /// <summary>The model as a frame encoder.</summary>
    public IFrameFeatureExtractor Extractor { get; }

    /// <summary>Where the model runs.</summary>
    public Device Device { get; }

    /// <summary>Decoded frame → the encoder's input: resize to the image size, then the manifest's normalisation.</summary>
    public ImageTransform Transform { get; }

    /// <summary>Feature size D.</summary>
    public int FeatureDim => Extractor.FeatureDim;

    /// <summary>SHA-256 of the weights (recorded in the temporal models trained on this encoder's features).</summary>
    public string WeightsSha256 => Manifest.WeightsSha256;

    /// <summary>What makes this encoder's features (weights, transform, precision), as a feature cache records it.</summary>
    public FeatureProvenance FeatureProvenance { get; private set; }

    /// <summary>The precision the encoder computes in (float32 until <see cref="UseInferencePrecision"/>), and why.</summary>
    public PrecisionChoice Precision { get; private set; } = new(InferencePrecision.Float32, InferencePrecision.Float32, "the default");

    /// <summary>
    /// Switches the encoder to <paramref name="precision"/> (see <see cref="MaeClassifier.UseInferencePrecision"/>): its
    /// weights are cast once, in place, and <see cref="FeatureProvenance"/> records the precision from now on.
    /// </summary>
    /// <param name="precision">The precision; <see cref="InferencePrecision.Auto"/> picks bfloat16 where the device runs it fast.</param>
    /// <param name="logger">Receives the choice and its reason.</param>
    /// <returns>What was picked and why.</returns>
    /// <exception cref="ArgumentException">Float16 on a device other than CUDA.</exception>
    public PrecisionChoice UseInferencePrecision(InferencePrecision precision, ILogger? logger = null)
    {
        Precision = Model switch
        {
            MaeClassifier classifier => classifier.UseInferencePrecision(precision, logger),
            MaeViT mae => mae.UseInferencePrecision(precision, logger),
            _ => throw new InvalidOperationException($"{Model.GetName()} is not an encoder of a bundle."),
        };
        FeatureProvenance = ProvenanceOf(Manifest, Precision.Precision);
        return Precision;
    }

    /// <summary>What makes the features of the encoder a manifest describes, without loading its weights.</summary>
    /// <param name="manifest">An encoder bundle's manifest (<see cref="ModelManifest.Read"/>).</param>
    /// <param name="precision">The precision the encoder runs in (resolved: <see cref="PrecisionResolver.Resolve(InferencePrecision, Device, ILogger?)"/> turns Auto into one).</param>
    /// <returns>Its weights' hash, its evaluation transform and the precision.</returns>
    /// <exception cref="ArgumentException">The manifest is not an encoder's, or the precision is Auto.</exception>
    public static FeatureProvenance ProvenanceOf(ModelManifest manifest, InferencePrecision precision = InferencePrecision.Float32)
    {
        if (precision == InferencePrecision.Auto)
            throw new ArgumentException("Features are made in one precision: resolve Auto for the device first (PrecisionResolver.Resolve).", nameof(precision));
        return new(manifest.WeightsSha256, TransformOf(manifest), PrecisionChoice.NameOf(precision));
    }

    private static ImageTransform TransformOf(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Encoder is null)
            throw new ArgumentException($"A {manifest.Kind} manifest describes no frame encoder.", nameof(manifest));
        return ImageTransform.Eval(manifest.Encoder.Mae.ImageSize, manifest.Encoder.Normalization.ToNormalization());
    }

    /// <summary>Loads the encoder bundle in <paramref name="folder"/> onto <paramref name="device"/> (CPU when null).</summary>
    /// <param name="folder">A bundle of kind <see cref="ModelKind.Encoder"/> or <see cref="ModelKind.MaskedAutoencoder"/>.</param>
    /// <param name="device">Where the model runs.</param>
    /// <returns>The encoder, in evaluation mode.</returns>
    /// <exception cref="FileNotFoundException">The folder is not a bundle.</exception>
    /// <exception cref="InvalidDataException">The manifest is damaged or of another kind, or does not match its weights; the message names the file and the field or key.</exception>
    public static EncoderBundle Load(string folder, Device? device = null)
    {
        var manifest = ModelManifest.Read(folder);
        if (manifest.Kind is not (ModelKind.Encoder or ModelKind.MaskedAutoencoder))
            throw new InvalidDataException($"{Path.Combine(folder, ModelManifest.FileName)}: field Kind is {manifest.Kind}; an encoder bundle has Kind Encoder or MaskedAutoencoder.");
        var settings = manifest.Encoder!;
        device ??= CPU;
        nn.Module model;
        IFrameFeatureExtractor extractor;
        if (manifest.Kind == ModelKind.Encoder)
        {
            var classifier = new MaeClassifier(new MaeClassifierOptions
            {
                Encoder = settings.Mae, NumClasses = settings.ClassNames!.Count,
                HeadDropout = settings.Classifier!.HeadDropout, LayerDecay = settings.Classifier.LayerDecay,
            }, device);
            (model, extractor) = (classifier, classifier);
        }
        else
        {
            var mae = new MaeViT(settings.Mae, device);
            (model, extractor) = (mae, mae);
        }
        try
        {
            StateDictLoader.LoadFile(model, Path.Combine(folder, ModelManifest.WeightsFileName));
        }
        catch (InvalidDataException e)
        {
            model.Dispose();
            throw ModelManifest.DoesNotFitWeights(folder, "Encoder", e);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        return new EncoderBundle(Path.GetFullPath(folder), manifest, model, extractor, device);
    }

    /// <summary>Saves a fine-tuned classifier as an encoder bundle.</summary>
    /// <param name="folder">The bundle folder (replaced when it exists).</param>
    /// <param name="model">The classifier.</param>
    /// <param name="normalization">The normalisation its input had in training.</param>
    /// <param name="recipe">The recipe's name.</param>
    /// <param name="faceCrop">How the training frames' faces were cut (the recipe's <see cref="AffectMaeRecipe.FaceCrop"/>); null for <see cref="FaceCropOptions"/>' defaults.</param>
    /// <returns>The manifest written.</returns>
    public static ModelManifest Save(string folder, MaeClassifier model, NormalizationOptions normalization, string recipe, FaceCropOptions? faceCrop = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(normalization);
        var names = model.Options.NumClasses == AffectLabels.ExpressionClassCount
            ? [.. AffectLabels.ExpressionNames]
            : Enumerable.Range(0, model.Options.NumClasses).Select(c => $"class{c}").ToList();
        var manifest = new ModelManifest
        {
            Kind = ModelKind.Encoder, Recipe = recipe,
            Encoder = new EncoderManifest
            {
                Mae = model.Options.Encoder, Normalization = normalization, FeatureDim = model.FeatureDim, ClassNames = names, FaceCrop = faceCrop ?? new(),
                Classifier = new ClassifierHeadOptions { HeadDropout = model.Options.HeadDropout, LayerDecay = model.Options.LayerDecay },
            },
        };
        manifest.Save(folder, model.state_dict());
        return manifest;
    }

    /// <summary>Saves a pre-trained MAE as an encoder bundle (its encoder gives the "without fine-tuning" features).</summary>
    /// <param name="folder">The bundle folder (replaced when it exists).</param>
    /// <param name="model">The MAE.</param>
    /// <param name="normalization">The normalisation its input had in training.</param>
    /// <param name="recipe">The recipe's name.</param>
    /// <param name="faceCrop">How the training frames' faces were cut (the recipe's <see cref="AffectMaeRecipe.FaceCrop"/>); null for <see cref="FaceCropOptions"/>' defaults.</param>
    /// <returns>The manifest written.</returns>
    public static ModelManifest Save(string folder, MaeViT model, NormalizationOptions normalization, string recipe, FaceCropOptions? faceCrop = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(normalization);
        var manifest = new ModelManifest
        {
            Kind = ModelKind.MaskedAutoencoder, Recipe = recipe,
            Encoder = new EncoderManifest { Mae = model.Options, Normalization = normalization, FeatureDim = model.FeatureDim, FaceCrop = faceCrop ?? new() },
        };
        manifest.Save(folder, model.state_dict());
        return manifest;
    }

    /// <summary>The loop that runs this encoder over frames.</summary>
    /// <param name="batchSize">Frames an encoder call.</param>
    /// <param name="decodeWorkers">Threads decoding ahead of the encoder.</param>
    public FrameEncoder CreateFrameEncoder(int batchSize, int decodeWorkers = 2) => new(Extractor, Transform, batchSize, Device, decodeWorkers);

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
