package dev.maestro.engine.knowledge;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.NotFoundException;
import java.util.List;

/**
 * The knowledge collections of a workspace (retrieval-augmented generation): create a collection,
 * ingest files, directories and URLs into it, search it with citations.
 */
public interface KnowledgeBase {

  /**
   * @throws InvalidInputException if the name is not 1-64 lower-case letters, digits, '-' or '_'
   * @throws ConflictException if a collection of that name exists
   */
  KnowledgeCollection create(String name, String description);

  List<KnowledgeCollection> collections();

  /** @throws NotFoundException if there is no such collection */
  KnowledgeCollection collection(String name);

  /** Deletes a collection and its index. @throws NotFoundException if there is no such collection */
  void delete(String name);

  /**
   * Ingests files, directories (recursively) and http(s) URLs. A document whose content hash has
   * not changed is left alone; a directory ingested again loses the documents deleted from it.
   *
   * @throws NotFoundException if there is no such collection
   * @throws InvalidInputException if no source is given
   */
  IngestReport ingest(String collection, List<String> sources, IngestProgress progress);

  /**
   * The best passages for the query, best first.
   *
   * @throws NotFoundException if there is no such collection
   */
  List<Passage> search(KnowledgeQuery query);
}
