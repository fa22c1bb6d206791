// Video and photo input on the command line: `predict --video/--image` and the `crop` verb. Everything runs in the
// AffectMae.Video library (decode → detect → crop on background threads, the recognizer's stream, the ABAW-layout crop
// folder); this file parses the face-finding options, shows progress and prints what decoding found.
using System.CommandLine;
using AffectMae.Cli.Reporting;
using AffectMae.Core.Data;
using AffectMae.Models.Pipeline;
using AffectMae.Models.Runtime;
using AffectMae.Video;
using AffectMae.Video.Cropping;
using AffectMae.Video.Decoding;
using AffectMae.Video.Faces;
using AffectMae.Video.Recognition;
using Spectre.Console;

namespace AffectMae.Cli.Commands;

/// <summary>The face-finding options shared by <c>predict --video</c> and <c>crop</c>, and the two video runs.</summary>
internal sealed class VideoCommands
{
    /// <summary>cascade or yunet.</summary>
    public Option<FaceDetectorKind> Detector { get; } = new("--detector") { Description = "Face detector: Cascade (OpenCV's Haar/LBP XML files, e.g. from opencv-data) or YuNet (an ONNX file you supply; gives eye landmarks for alignment).", DefaultValueFactory = _ => FaceDetectorKind.Cascade };

    /// <summary>The detector's model file.</summary>
    public Option<string?> DetectorModel { get; } = new("--detector-model") { Description = $"The detector's model file: a path, or a file name looked up in ${FaceModelFiles.SearchPathVariable}, the current and application folders and /usr/share/opencv4 (default: {FaceModelFiles.DefaultCascade} or {FaceModelFiles.YuNetFileName}). Never downloaded." };

    /// <summary>Detect every k frames.</summary>
    public Option<int?> DetectEvery { get; } = new("--detect-every") { Description = "Run the detector every k frames and follow the face in between (default: the tracker's)." };

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Detector, DetectorModel, DetectEvery }) command.Options.Add(option);
    }

    /// <summary>The face pipeline's settings from the command line; the crop rule is left to the caller.</summary>
    public FacePipelineOptions Faces(ParseResult parse)
    {
        var options = new FacePipelineOptions { Detector = new FaceDetectorOptions { Kind = parse.GetValue(Detector), ModelPath = parse.GetValue(DetectorModel) } };
        if (parse.GetValue(DetectEvery) is { } every) options.Tracker.DetectEvery = every;
        return options;
    }

    /// <summary>
    /// Per-frame affect of a video or photo into <c>&lt;output&gt;/&lt;name&gt;.csv</c>, one row per decoded frame, with
    /// a valence/arousal plot when asked; the crops are cut by the encoder bundle's rule.
    /// </summary>
    public static void Predict(IAnsiConsole console, AffectRecognizer recognizer, FacePipelineOptions faces, string input, string outputFolder, bool plot, CancellationToken cancellationToken)
    {
        var pipeline = new VideoAffectRecognizer(recognizer, faces);
        using var source = FrameSources.Open(input);
        string name = Path.GetFileNameWithoutExtension(input);
        string csv = Path.Combine(outputFolder, name + ".csv");
        var series = new List<(double X, float Valence, float Arousal)>();
        var written = ConsoleStage.Run(console, $"Predicting {name}", source.Info.HeaderFrameCount ?? 1, bar =>
            VideoAffectCsv.WriteAsync(csv, Observed(pipeline.PredictAsync(source, cancellationToken), series), source.Info.HeaderFrameCount, Bar(bar), cancellationToken).GetAwaiter().GetResult());
        var summary = written with { Decoding = source.Summary };
        Notes(console, summary.Decoding);
        console.MarkupLine($"{summary.Frames} frame(s), {summary.FramesWithoutFace} without a face (face_found 0, values empty); {summary.FramesPerSecond:F1} frames/s end to end.");
        ConsoleLines.Wrote(console, csv);
        if (plot)
            ConsoleLines.Wrote(console, Plots.ValenceArousalOverTime(outputFolder, name, series, source.Info.Kind == FrameSourceKind.VideoFile ? "time (s)" : "frame"));
    }

    /// <summary><c>crop</c>: a video's face crops as an ABAW frame folder, <c>&lt;output&gt;/&lt;video&gt;/00001.jpg</c>.</summary>
    public static Command Crop(IAnsiConsole console)
    {
        var faces = new VideoCommands();
        var video = new Option<FileInfo>("--video") { Description = "The video (or photo) to crop.", Required = true };
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "The cropped_aligned folder of a data set: the crops go to <output>/<video name>/00001.jpg, …", Required = true };
        var encoder = new Option<DirectoryInfo?>("--encoder-model") { Description = "Crop by this encoder bundle's rule (its model.json, Encoder.FaceCrop) instead of the recipe's FaceCrop." };
        var format = new Option<CropImageFormat>("--format") { Description = "Jpeg (as Aff-Wild2's frames) or Png (lossless).", DefaultValueFactory = _ => CropImageFormat.Jpeg };
        var force = new Option<bool>("--force") { Description = "Replace the video's frame folder when it exists." };
        var common = new CommonOptions();
        var command = new Command("crop", "Cut the face out of every frame of a video the way training frames are cut, into an ABAW-layout frame folder (frames without a face get no image), so a recording can join a training set.");
        foreach (var option in new Option[] { video, output, encoder, format, force }) command.Options.Add(option);
        faces.AddTo(command);
        common.AddTo(command);
        CommonOptions.SetAction(command, console, (parse, ct) =>
        {
            var options = faces.Faces(parse);
            options.Crop = parse.GetValue(encoder) is { } bundle
                ? ModelManifest.Read(bundle.FullName).Encoder?.FaceCrop ?? throw new InvalidDataException($"{bundle.FullName} is not an encoder bundle: its {ModelManifest.FileName} has no Encoder section.")
                : common.ResolveRecipe(parse).FaceCrop;
            string input = parse.GetValue(video)!.FullName;
            string folder = Path.Combine(parse.GetValue(output)!.FullName, Path.GetFileNameWithoutExtension(input));
            if (!parse.GetValue(force) && (Directory.Exists(folder) || File.Exists(folder)))
            {
                console.MarkupLine($"[red]Error:[/] {Markup.Escape(folder)} exists already; give [bold]--force[/] to replace it, or another --output.");
                return ExitCodes.OutputInUse;
            }
            using var source = FrameSources.Open(input);
            var summary = ConsoleStage.Run(console, $"Cropping {Path.GetFileName(input)}", source.Info.HeaderFrameCount ?? 1, bar =>
                CropFolder.WriteAsync(new FaceCropPipeline(options), source, folder, parse.GetValue(format), replace: true, progress: Bar(bar), cancellationToken: ct).GetAwaiter().GetResult());
            Notes(console, summary.Decoding);
            console.MarkupLine($"{summary.Written} of {summary.Frames} frame(s) cropped to {options.Crop.OutputSize}²; {summary.FramesWithoutFace.Count} without a face have no image"
                + (summary.FramesWithoutFace.Count > 0 ? $" ({Markup.Escape(ConsoleLines.Abbreviated(summary.FramesWithoutFace))})" : "") + $"; {summary.FramesPerSecond:F1} frames/s.");
            ConsoleLines.Wrote(console, folder);
            return ExitCodes.Success;
        }, resumable: false);
        return command;
    }

    // Keeps (time or frame, valence, arousal) of every row for the plot; a frame without a face is a gap (NaN).
    private static async IAsyncEnumerable<VideoFrameAffect> Observed(IAsyncEnumerable<VideoFrameAffect> rows, List<(double X, float Valence, float Arousal)> series)
    {
        await foreach (var row in rows.ConfigureAwait(false))
        {
            series.Add((row.Timestamp?.TotalSeconds ?? row.Frame, row.Affect.Valence, row.Affect.Arousal));
            yield return row;
        }
    }

    private static SyncProgress<VideoProgress> Bar(IProgress<StepProgress> bar) => new(p =>
        bar.Report(new StepProgress(p.Frames, Math.Max(p.ExpectedFrames ?? p.Frames, p.Frames), $"{p.Frames} frames, {p.FramesWithoutFace} without a face, {p.FramesPerSecond:F1} frames/s")));

    private static void Notes(IAnsiConsole console, DecodeSummary? decoding)
    {
        foreach (string note in decoding?.Notes ?? [])
            console.MarkupLine($"[yellow]Note:[/] {Markup.Escape(note)}");
    }
}
