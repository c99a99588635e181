package dev.backdrop.eval;

/** The scores of one photo, for the raw (bilinear) and the refined (compositor) mask. */
public record ImageScore(String name, int width, int height, double iouRaw, double iouRefined,
                         double boundaryFRaw, double boundaryFRefined, Double alphaErrorRaw, Double alphaErrorRefined) {
}
