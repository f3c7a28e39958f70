import { type AuthMiddleware, ForbiddenError, NotFoundError, route, type Route } from '@msa/platform';
import type { Request, Response } from 'express';
import type { CatalogCommands, CatalogReads } from '../../ports.js';
import { searchWords } from '../mongo/search-words.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { categoryResponse, noneMatchHits, productEtag, productResponse, viewResponse } from './representations.js';
import {
  CategoryListResponse,
  CategoryRequest,
  CategoryResponse,
  CreateProductRequest,
  IdParams,
  listProductsQuery,
  ProductPageResponse,
  ProductResponse,
  UpdateProductRequest,
} from './schemas.js';

/** What the product routes need. */
export interface ProductRoutesDependencies {
  readonly commands: CatalogCommands;
  /** The reads, through the read cache; each answer's source becomes the `X-Cache` header. */
  readonly reads: CatalogReads;
  readonly adminOnly: AuthMiddleware;
  readonly newId: () => string;
  /** A listing page's size when the request names none, and the most it may name. */
  readonly pageSize: { readonly defaultLimit: number; readonly maxLimit: number };
}

const PRODUCTS = ['products'];
/** Says whether the read cache answered (`hit`), was filled (`miss`) or was out of reach (`bypass`). */
const CACHE_HEADER = 'x-cache';
const CATEGORIES = ['categories'];

/**
 * The catalog API: public reads of active products and of categories, admin-only writes. The write
 * routes answer from the write side's state, the reads from the read models, which follow within moments.
 */
export function productRoutes(deps: ProductRoutesDependencies): Route[] {
  const { commands, reads, adminOnly, newId } = deps;

  const createProduct = route(
    {
      method: 'post',
      path: '/api/products',
      summary: 'Add a product to the catalog (admins only)',
      tags: PRODUCTS,
      auth: adminOnly,
      request: { body: CreateProductRequest },
      responses: { 201: { description: 'Created', body: ProductResponse } },
      problems: [409, 422],
    },
    async ({ body, command, reply }) => {
      const created = await commands.createProduct({ ...body, productId: newId() }, command);
      const { productId } = created.product;
      return reply(201, productResponse(created), { location: `/api/products/${productId}`, etag: productEtag(productId, created.version) });
    },
  );

  const updateProduct = route(
    {
      method: 'patch',
      path: '/api/products/:id',
      summary: "Change a product's name, description, category or price (admins only)",
      description: 'Only fields that differ are recorded; an update that changes nothing answers the current product.',
      tags: PRODUCTS,
      auth: adminOnly,
      request: { params: IdParams, body: UpdateProductRequest },
      responses: { 200: { description: 'The product after the change', body: ProductResponse } },
      problems: [404, 409, 422],
    },
    async ({ params, body, command, reply }) => {
      const updated = await commands.updateProduct({ ...body, productId: params.id }, command);
      return reply(200, productResponse(updated), { etag: productEtag(params.id, updated.version) });
    },
  );

  const activation = (active: boolean) =>
    route(
      {
        method: 'post',
        path: `/api/products/:id/${active ? 'reactivate' : 'deactivate'}`,
        summary: active ? 'Show a deactivated product to shoppers again (admins only)' : 'Hide a product from shoppers (admins only)',
        tags: PRODUCTS,
        auth: adminOnly,
        request: { params: IdParams },
        responses: { 200: { description: 'The product after the change', body: ProductResponse } },
        problems: [404, 409],
      },
      async ({ params, command, reply }) => {
        const changed = await commands.setActive(params.id, active, command);
        return reply(200, productResponse(changed), { etag: productEtag(params.id, changed.version) });
      },
    );

  const productDetail = route(
    {
      method: 'get',
      path: '/api/products/:id',
      summary: 'A product',
      description:
        'Public. A deactivated product is 404 unless the caller sends an admin token. The ETag is the ' +
        "product's stream version: send it back in If-None-Match to get 304 while it is unchanged.",
      tags: PRODUCTS,
      request: { params: IdParams },
      responses: {
        200: { description: 'The product, with its category’s current name', body: ProductResponse },
        304: { description: 'The product is unchanged since the ETag sent in If-None-Match' },
      },
      problems: [404],
    },
    async ({ params, req, res, reply }) => {
      const { value: found, source } = await reads.product(params.id);
      if (found === undefined || (!found.product.active && !(await callerIsAdmin(adminOnly, req, res)))) {
        throw new NotFoundError(`product ${params.id} does not exist`);
      }
      const headers = { etag: productEtag(params.id, found.version), [CACHE_HEADER]: source };
      if (noneMatchHits(req.get('if-none-match'), headers.etag)) return reply(304, undefined, headers);
      return reply(200, viewResponse(found), headers);
    },
  );

  const listProducts = route(
    {
      method: 'get',
      path: '/api/products',
      summary: 'Active products, a page at a time',
      description:
        'Public. Filter by category id and by words (all must appear in the name or description, in any ' +
        'case); sort by name, price or -price. Pass nextCursor back as cursor, with the same sort, for the next page.',
      tags: PRODUCTS,
      request: { query: listProductsQuery(deps.pageSize) },
      responses: { 200: { description: 'A page of products', body: ProductPageResponse } },
    },
    async ({ query: { category, q, sort, limit, cursor }, reply }) => {
      const after = cursor === undefined ? undefined : decodeCursor(cursor, sort);
      const { value: page, source } = await reads.list({ categoryId: category, words: searchWords(q ?? ''), sort, limit, after });
      const body = { items: page.items.map(viewResponse), ...(page.next === undefined ? {} : { nextCursor: encodeCursor(page.next) }) };
      return reply(200, body, { [CACHE_HEADER]: source });
    },
  );

  const createCategory = route(
    {
      method: 'post',
      path: '/api/categories',
      summary: 'Add a category (admins only)',
      tags: CATEGORIES,
      auth: adminOnly,
      request: { body: CategoryRequest },
      responses: { 201: { description: 'Created', body: CategoryResponse } },
      problems: [409],
    },
    async ({ body, command, reply }) => {
      const created = await commands.createCategory({ categoryId: newId(), name: body.name }, command);
      return reply(201, categoryResponse(created), { location: `/api/categories/${created.category.categoryId}` });
    },
  );

  const renameCategory = route(
    {
      method: 'patch',
      path: '/api/categories/:id',
      summary: 'Rename a category (admins only)',
      description: 'Its products keep it and show the new name once the read model has applied the rename.',
      tags: CATEGORIES,
      auth: adminOnly,
      request: { params: IdParams, body: CategoryRequest },
      responses: { 200: { description: 'The category after the change', body: CategoryResponse } },
      problems: [404, 409],
    },
    async ({ params, body, command, reply }) => {
      return reply(200, categoryResponse(await commands.renameCategory({ categoryId: params.id, name: body.name }, command)));
    },
  );

  const listCategories = route(
    {
      method: 'get',
      path: '/api/categories',
      summary: 'Every category, by name',
      tags: CATEGORIES,
      responses: { 200: { description: 'The categories', body: CategoryListResponse } },
    },
    async ({ reply }) => reply(200, { items: (await reads.categories()).map(categoryResponse) }),
  );

  return [
    createProduct,
    updateProduct,
    activation(false),
    activation(true),
    productDetail,
    listProducts,
    createCategory,
    renameCategory,
    listCategories,
  ];
}

/**
 * Whether a request to a public route carries an admin token. No token is a shopper; a valid token
 * without the role is one too; a bad token is still a 401, so a client learns its token is broken.
 */
async function callerIsAdmin(adminOnly: AuthMiddleware, req: Request, res: Response): Promise<boolean> {
  if (req.get('authorization') === undefined) return false;
  try {
    await new Promise<void>((resolve, reject) => {
      void adminOnly(req, res, (error?: unknown) => {
        if (error === undefined) resolve();
        else reject(error instanceof Error ? error : new Error('the admin guard failed', { cause: error }));
      });
    });
    return true;
  } catch (error) {
    if (error instanceof ForbiddenError) return false;
    throw error;
  }
}
