using AffectMae.Models.Pipeline;
using AffectMae.Video;
using AffectMae.Video.Decoding;
using AffectMae.Video.Recognition;

public static class VideoAffectExample
{
    public static async Task<VideoAffectSummary> WriteCsvAsync(string encoderBundle, string temporalBundle, string videoPath, string csvPath,
        CancellationToken cancellationToken = default)
    {
        // The models, and a face pipeline that crops the way the encoder's training frames were cut (its model.json).
        using var recognizer = AffectRecognizer.Load(encoderBundle, temporalBundle);
        var video = new VideoAffectRecognizer(recognizer);                   // Haar cascade, one subject

        // One row per decoded frame: frame, time, face box, valence, arousal, expression and AUs; empty without a face.
        using var source = FrameSources.Open(videoPath);                     // a video, a photo or a folder of frames
        var progress = new Progress<VideoProgress>(p => Console.Error.Write($"\r{p.Frames} frames, {p.FramesPerSecond:F1} frames/s"));
        var summary = await video.WriteCsvAsync(source, csvPath, progress, cancellationToken);
        foreach (string note in summary.Decoding!.Notes)                     // e.g. the header announced another frame count
            Console.WriteLine(note);
        return summary;
    }
}
