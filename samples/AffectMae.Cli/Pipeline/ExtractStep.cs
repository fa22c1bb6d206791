using AffectMae.Models.Data;
using AffectMae.Models.Features;
using AffectMae.Models.IO;
using AffectMae.Models.Mae;
using static TorchSharp.torch;

namespace AffectMae.Cli.Pipeline;

/// <summary>Runs an encoder over every frame of every video and caches one feature matrix a video (resumable, shardable).</summary>
public static class ExtractStep
{
    /// <summary>The fine-tuned classifier's features (the paper's), or the pre-trained MAE encoder's (the "without fine-tuning" ablation).</summary>
    public const string FineTuned = "finetuned", Pretrained = "pretrained";

    /// <summary>Frames to encode (videos not yet cached are all that is left to do).</summary>
    public static int Frames(FrameSet data) => data.All.Sum(v => v.FrameCount);

    /// <summary>Extracts the features of <paramref name="encoder"/> for this shard's videos.</summary>
    public static ExtractionSummary Run(FrameSet data, Workspace workspace, PipelineSettings settings, string encoder, Shard shard, IProgress<StepProgress>? progress, Device? device, CancellationToken cancellationToken)
    {
        var transform = ImageTransform.Eval(settings.ImageSize);
        var cache = new FeatureCache(workspace.Features(encoder));
        Func<Tensor, Tensor> encode;
        nn.Module model;
        if (encoder == FineTuned)
        {
            var classifier = new MaeClassifier(new MaeClassifierOptions { Encoder = settings.Mae }, device);
            StateDictLoader.LoadFile(classifier, Require(workspace.ClassifierWeights, "finetune"));
            encode = classifier.ExtractFeatures;
            model = classifier;
        }
        else
        {
            var mae = new MaeViT(settings.Mae, device);
            StateDictLoader.LoadFile(mae, Require(workspace.MaeWeights, "pretrain"));
            encode = mae.ExtractFeatures;
            model = mae;
        }
        using (model)
        {
            model.eval();
            var videos = data.All.Select(data.Frames).ToList();
            var done = new Dictionary<string, int>();
            int total = videos.Sum(v => v.FramePaths.Count);
            var report = new SyncProgress<ExtractionProgress>(p =>
            {
                done[p.Video] = p.FramesDone;
                progress?.Report(new StepProgress(done.Values.Sum(), total, $"{p.Video} ({p.VideoIndex + 1}/{p.VideoCount})"));
            });
            var extractor = new FeatureExtractor(encode, paths => FrameSet.LoadBatch(paths, transform, device), cache, settings.ExtractionBatchSize);
            return extractor.Run(videos, shard, report, cancellationToken);
        }
    }

    private static string Require(string path, string verb) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"No weights at {path}; run `{verb}` first.", path);
}
